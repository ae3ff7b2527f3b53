# Included by the embed scripts (script mode): embed_file() turns a text file into a C++ array of
# raw-string chunks, and EMBED_JOIN_FUNCTION is the C++ that joins such an array into one string.

set(EMBED_DELIMITER "evently_embed")
# -Wpedantic limits one string literal to 64 KiB: long files become arrays of chunks.
set(EMBED_CHUNK_BYTES 60000)

# Appends `constexpr std::string_view <name>[] = {chunks..., {}};` to the variable `var`; an
# absent `path` gives an array holding only the empty terminator.
function(embed_file var name path)
  set(body "constexpr std::string_view ${name}[] = {")
  if(path AND EXISTS ${path})
    file(READ ${path} content)
    string(FIND "${content}" ")${EMBED_DELIMITER}\"" clash)
    if(NOT clash EQUAL -1)
      message(FATAL_ERROR "${path} contains the raw-string delimiter ${EMBED_DELIMITER}")
    endif()
    string(LENGTH "${content}" size)
    set(offset 0)
    while(offset LESS size)
      string(SUBSTRING "${content}" ${offset} ${EMBED_CHUNK_BYTES} chunk)
      string(APPEND body "\n    R\"${EMBED_DELIMITER}(${chunk})${EMBED_DELIMITER}\"sv,")
      math(EXPR offset "${offset} + ${EMBED_CHUNK_BYTES}")
    endwhile()
  endif()
  string(APPEND body "\n    {}};\n")
  set(${var} "${${var}}${body}" PARENT_SCOPE)
endfunction()

set(EMBED_JOIN_FUNCTION [=[
template <std::size_t N>
std::string Join(const std::string_view (&chunks)[N]) {
  std::string joined;
  for (std::string_view chunk : chunks) joined += chunk;
  return joined;
}
]=])
