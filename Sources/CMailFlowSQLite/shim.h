#include <sqlite3.h>

// SQLITE_TRANSIENT and SQLITE_STATIC are cast macros that Swift does not import.
static inline sqlite3_destructor_type cmailflowsqlite_transient(void) {
    return SQLITE_TRANSIENT;
}

static inline sqlite3_destructor_type cmailflowsqlite_static(void) {
    return SQLITE_STATIC;
}
