// libcsv from Debian's libcsv-dev (/usr/include/csv.h, /usr/lib/<arch>/libcsv.a).
#include <csv.h>
