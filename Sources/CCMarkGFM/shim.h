// cmark-gfm, GitHub's CommonMark + GFM renderer, from Debian's libcmark-gfm-dev
// and libcmark-gfm-extensions-dev: the report's Markdown turned into HTML.
#include <cmark-gfm.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm-core-extensions.h>
