// json-c (Debian: libjson-c-dev), a C JSON parser: each line of a FHIR NDJSON
// export is parsed by it (Foundation's JSON decoding was ten times too slow there).
#include <json-c/json.h>
