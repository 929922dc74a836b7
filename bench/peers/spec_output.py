"""Writes outcomes.csv and retention.csv exactly as SPEC.md §8–9 define them,
from rows a peer computed. Shared by the peer implementations, so that their
files can be compared byte for byte with outcomes' own."""

Z = 1.959963984540054

OUTCOMES_HEADER = ("window,period_start,period_end,modality,instrument,site,courses,no_baseline,below_threshold,"
                   "itt_n,completers_n,responders,remitters,response_rate_itt,response_ci_low_itt,response_ci_high_itt,"
                   "response_rate_completers,response_ci_low_completers,response_ci_high_completers,remission_rate_itt,"
                   "remission_ci_low_itt,remission_ci_high_itt,remission_rate_completers,remission_ci_low_completers,"
                   "remission_ci_high_completers,mean_baseline,mean_endpoint,mean_change,improved,deteriorated,"
                   "early_responders,median_sessions_to_response")
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
    """rows: dicts with window, period_start, period_end, modality, instrument, site, the counts,
    has_remission, has_rc, baseline_sum, endpoint_sum, median (float or None)."""
    rows = sorted(rows, key=lambda r: (WINDOW_ORDER[r["window"]], r["modality"], r["instrument"], site_order(r["site"])))
    lines = [OUTCOMES_HEADER]
    for r in rows:
        n_itt, n_c = r["itt"], r["completers"]
        remitters = r["remitters"] if r["has_remission"] else None
        fields = [r["window"], r["period_start"], r["period_end"], r["modality"], r["instrument"], text(r["site"]),
                  str(r["courses"]), str(r["no_baseline"]), str(r["below_threshold"]), str(n_itt), str(n_c),
                  str(r["responders"]), "" if remitters is None else str(remitters)]
        fields += rate_fields(r["responders"], n_itt) + rate_fields(r["responders"], n_c)
        fields += rate_fields(remitters, n_itt) + rate_fields(remitters, n_c)
        if n_c:
            fields += ["%.2f" % (r["baseline_sum"] / n_c), "%.2f" % (r["endpoint_sum"] / n_c),
                       "%.2f" % ((r["endpoint_sum"] - r["baseline_sum"]) / n_c)]
        else:
            fields += ["", "", ""]
        fields += [str(r["improved"]) if r["has_rc"] else "", str(r["deteriorated"]) if r["has_rc"] else "",
                   str(r["early"]), "" if r["median"] is None else "%.1f" % r["median"]]
        lines.append(",".join(fields))
    return "\n".join(lines) + "\n"


def retention_csv(rows):
    rows = sorted(rows, key=lambda r: (WINDOW_ORDER[r["window"]], r["modality"], site_order(r["site"])))
    lines = [RETENTION_HEADER]
    for r in rows:
        lines.append(",".join([r["window"], r["period_start"], r["period_end"], r["modality"], text(r["site"]),
                               str(r["evaluable"]), str(r["retained"])] + rate_fields(r["retained"], r["evaluable"])))
    return "\n".join(lines) + "\n"
