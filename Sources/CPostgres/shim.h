// Debian puts libpq's headers in /usr/include/postgresql; naming the folder here keeps the
// build working without pkg-config (libpq-fe.h includes its siblings with quotes).
#include <postgresql/libpq-fe.h>
// The error-field codes (PG_DIAG_*) are character-literal macros, which Swift imports
// inconsistently; these name the ones the storage layer reads.
static inline int cpostgres_diag_sqlstate(void) { return PG_DIAG_SQLSTATE; }
static inline int cpostgres_diag_message_primary(void) { return PG_DIAG_MESSAGE_PRIMARY; }
