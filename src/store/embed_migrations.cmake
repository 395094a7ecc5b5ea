# Turns db/NNNN_*.sql into a C++ table so the executable carries its schema (no files looked up at run time).
# Called as: cmake -DOUT=… -DSQL_FILES=a.sql|b.sql -P embed_migrations.cmake
string(REPLACE "|" ";" SQL_FILES "${SQL_FILES}")
set(body "")
foreach(file IN LISTS SQL_FILES)
  get_filename_component(name ${file} NAME)
  string(REGEX MATCH "^[0-9]+" number ${name})
  math(EXPR number "${number}")  # strip leading zeros
  file(READ ${file} sql)
  string(APPEND body "    {${number}, \"${name}\", R\"consilium_sql(${sql})consilium_sql\"},\n")
endforeach()
file(WRITE ${OUT}.tmp "// Generated from db/*.sql by embed_migrations.cmake. Do not edit.\n#include \"store/migrations.h\"\n\nnamespace consilium::store {\n\nconst std::vector<Migration>& migrations()\n{\n    static const std::vector<Migration> all{\n${body}    };\n    return all;\n}\n\n}  // namespace consilium::store\n")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
