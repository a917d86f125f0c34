#ifndef CSKILLFORGESQLITE_H
#define CSKILLFORGESQLITE_H

#include <sqlite3.h>

/// Turns the triggers of the database's schema on or off for this connection
/// (`sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, …)`, which Swift
/// cannot call: it is variadic). Statements prepared afterwards include no
/// trigger at all when they are off. Returns an SQLite result code; the
/// setting in force afterwards (0 or 1) is stored in `*setting`.
int skill_forge_enable_triggers(sqlite3 *db, int enable, int *setting);

#endif
