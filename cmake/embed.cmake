# Turn the file IN into a C source OUT defining a NUL-terminated string
# xcsim_default_scenario[] and its length, for the built-in default scenario.
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" n)
math(EXPR nbytes "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
file(WRITE ${OUT} "/* generated from ${IN} by cmake/embed.cmake */\n#include <stddef.h>\nextern const char xcsim_default_scenario[];\nextern const size_t xcsim_default_scenario_len;\nconst char xcsim_default_scenario[] = {${body}0x00};\nconst size_t xcsim_default_scenario_len = ${nbytes};\n")
