# Turn the file IN into a C source OUT defining a NUL-terminated string
# SYM[] (default xcsim_default_scenario) and SYM_len, for a built-in
# scenario: the default one, and the emulation's (xcsim_emulate_scenario).
if(NOT DEFINED SYM)
  set(SYM xcsim_default_scenario)
endif()
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" n)
math(EXPR nbytes "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
file(WRITE ${OUT} "/* generated from ${IN} by cmake/embed.cmake */\n#include <stddef.h>\nextern const char ${SYM}[];\nextern const size_t ${SYM}_len;\nconst char ${SYM}[] = {${body}0x00};\nconst size_t ${SYM}_len = ${nbytes};\n")
