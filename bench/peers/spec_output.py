"""Writes outcomes.csv, retention.csv and timepoints.csv exactly as SPEC.md
(v2) §8, §9 and §6b define them,
from rows a peer computed. Shared by the peer implementations, so that their
files can be compared byte for byte with outcomes' own."""

Z = 1.959963984540054

OUTCOMES_HEADER = ("window,period_start,period_end,modality,instrument,site,courses,no_baseline,below_threshold,"
                   "itt_n,evaluable_n,completers_n,responders,remitters,recovered,completer_responders,completer_remitters,"
                   "response_rate_itt,response_ci_low_itt,response_ci_high_itt,"
                   "response_rate_evaluable,response_ci_low_evaluable,response_ci_high_evaluable,"
                   "response_rate_completers,response_ci_low_completers,response_ci_high_completers,"
                   "remission_rate_itt,remission_ci_low_itt,remission_ci_high_itt,"
                   "remission_rate_evaluable,remission_ci_low_evaluable,remission_ci_high_evaluable,"
                   "remission_rate_completers,remission_ci_low_completers,remission_ci_high_completers,"
                   "mean_baseline,mean_endpoint,mean_change,improved,deteriorated,"
                   "early_responders,median_sessions_to_response")
TIMEPOINTS_HEADER = ("window,period_start,period_end,modality,instrument,site,time_point,itt_timed,n,mean_baseline,mean_score,"
                     "mean_change,sd_change,change_ci_low,change_ci_high,effect_size,responders,response_rate,response_ci_low,"
                     "response_ci_high,remitters,remission_rate,remission_ci_low,remission_ci_high")
RETENTION_HEADER = ("window,period_start,period_end,modality,site,evaluable,retained,retention_rate,retention_ci_low,"
                    "retention_ci_high")
WINDOW_ORDER = {"month": 0, "12m": 1, "all": 2}


def wilson(x, n):
    """SPEC §8, in doubles exactly as written there."""
    if n == 0:
        return None
    p = x / n
    d = 1 + Z * Z / n
    c = (p + Z * Z / (2 * n)) / d
    h = Z * (p * (1 - p) / n + Z * Z / (4 * n * n)) ** 0.5 / d
    return p, min(max(c - h, 0.0), 1.0), min(max(c + h, 0.0), 1.0)


def rate_fields(x, n):
    interval = wilson(x, n) if x is not None else None
    return ["%.4f" % v for v in interval] if interval else ["", "", ""]


def text(value):
    """Formula guard and RFC 4180 quoting (SPEC §8)."""
    if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        value = "'" + value
    if any(c in value for c in ',"\r\n'):
        value = '"' + value.replace('"', '""') + '"'
    return value


def site_order(site):
    return (0, b"") if site == "*" else (1, site.encode("utf-8"))


def outcomes_csv(rows):
    """rows: dicts with window, period_start, period_end, modality, instrument, site, the counts
    (itt, evaluable, completers, responders, remitters, recovered, completer_responders,
    completer_remitters, improved, deteriorated, early), has_remission, has_rc, baseline_sum,
    endpoint_sum (over evaluable courses), median (float or None)."""
    rows = sorted(rows, key=lambda r: (WINDOW_ORDER[r["window"]], r["modality"], r["instrument"], site_order(r["site"])))
    lines = [OUTCOMES_HEADER]
    for r in rows:
        n_itt, n_e, n_c = r["itt"], r["evaluable"], r["completers"]
        remitters = r["remitters"] if r["has_remission"] else None
        completer_remitters = r["completer_remitters"] if r["has_remission"] else None
        recovered = r["recovered"] if r["has_remission"] and r["has_rc"] else None
        fields = [r["window"], r["period_start"], r["period_end"], r["modality"], r["instrument"], text(r["site"]),
                  str(r["courses"]), str(r["no_baseline"]), str(r["below_threshold"]), str(n_itt), str(n_e), str(n_c),
                  str(r["responders"]), "" if remitters is None else str(remitters), "" if recovered is None else str(recovered),
                  str(r["completer_responders"]), "" if completer_remitters is None else str(completer_remitters)]
        fields += rate_fields(r["responders"], n_itt) + rate_fields(r["responders"], n_e)
        fields += rate_fields(r["completer_responders"], n_c)
        fields += rate_fields(remitters, n_itt) + rate_fields(remitters, n_e) + rate_fields(completer_remitters, n_c)
        if n_e:
            fields += ["%.2f" % (r["baseline_sum"] / n_e), "%.2f" % (r["endpoint_sum"] / n_e),
                       "%.2f" % ((r["endpoint_sum"] - r["baseline_sum"]) / n_e)]
        else:
            fields += ["", "", ""]
        fields += [str(r["improved"]) if r["has_rc"] else "", str(r["deteriorated"]) if r["has_rc"] else "",
                   str(r["early"]), "" if r["median"] is None else "%.1f" % r["median"]]
        lines.append(",".join(fields))
    return "\n".join(lines) + "\n"


def timepoints_csv(rows, quantile):
    """rows: dicts with window, period_start, period_end, modality, instrument, site, time_point,
    order (the time point's position in its modality), itt_timed, n, baseline_sum, score_sum,
    change_sum, change_squares, responders, remitters, has_remission. quantile(p, df) is Student's t."""
    rows = sorted(rows, key=lambda r: (WINDOW_ORDER[r["window"]], r["modality"], r["instrument"], site_order(r["site"]), r["order"]))
    lines = [TIMEPOINTS_HEADER]
    for r in rows:
        n = r["n"]
        means = ["", "", ""]
        spread = ["", "", "", ""]
        if n > 0:
            mean = r["change_sum"] / n
            means = ["%.2f" % (r["baseline_sum"] / n), "%.2f" % (r["score_sum"] / n), "%.2f" % mean]
            if n >= 2:
                sd = ((n * r["change_squares"] - r["change_sum"] ** 2) / (n * (n - 1))) ** 0.5
                half = quantile(0.975, n - 1) * sd / n ** 0.5
                spread = ["%.2f" % sd, "%.2f" % (mean - half), "%.2f" % (mean + half), "%.2f" % (mean / sd) if sd > 0 else ""]
        remitters = r["remitters"] if r["has_remission"] else None
        fields = [r["window"], r["period_start"], r["period_end"], r["modality"], r["instrument"], text(r["site"]),
                  text(r["time_point"]), str(r["itt_timed"]), str(n)] + means + spread
        fields += [str(r["responders"])] + rate_fields(r["responders"], n)
        fields += ["" if remitters is None else str(remitters)] + rate_fields(remitters, n)
        lines.append(",".join(fields))
    return "\n".join(lines) + "\n"


def retention_csv(rows):
    rows = sorted(rows, key=lambda r: (WINDOW_ORDER[r["window"]], r["modality"], site_order(r["site"])))
    lines = [RETENTION_HEADER]
    for r in rows:
        lines.append(",".join([r["window"], r["period_start"], r["period_end"], r["modality"], text(r["site"]),
                               str(r["evaluable"]), str(r["retained"])] + rate_fields(r["retained"], r["evaluable"])))
    return "\n".join(lines) + "\n"
