#include "CSkillForgeSQLite.h"

int skill_forge_enable_triggers(sqlite3 *db, int enable, int *setting) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, enable, setting);
}
