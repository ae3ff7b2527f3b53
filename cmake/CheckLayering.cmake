# Fails when a layer includes what it must not: domain stays free of Beast, SQL and JSON;
# SQL drivers appear only in storage/; Beast only in http/ and realtime/.
function(check_forbidden dir pattern what)
  file(GLOB_RECURSE files ${SRC}/${dir}/*.hpp ${SRC}/${dir}/*.cpp)
  foreach(f ${files})
    file(STRINGS ${f} hits REGEX "${pattern}")
    if(hits)
      message(SEND_ERROR "${f} includes ${what}: ${hits}")
    endif()
  endforeach()
endfunction()
check_forbidden(domain "#include [<\"](boost|sqlite3|libpq|hiredis|spdlog|ratelimit/|storage/|wire/|http/|realtime/|jobs/|app/)" "an outer layer")
check_forbidden(wire "#include [<\"](boost/beast|boost/asio|sqlite3|libpq|storage/|http/|app/)" "transport or SQL")
check_forbidden(http "#include [<\"](sqlite3|libpq|hiredis|storage/)" "SQL")
check_forbidden(realtime "#include [<\"](sqlite3|libpq|storage/|http/)" "SQL or HTTP handling")
check_forbidden(jobs "#include [<\"](sqlite3|libpq|boost/beast|http/)" "SQL or HTTP")
check_forbidden(security "#include [<\"](boost/beast|boost/asio|sqlite3|libpq|storage/|http/)" "transport or SQL")
# Gateway adapters read their gateway's JSON answers (Boost.JSON), and nothing else of Boost.
check_forbidden(payments "#include [<\"](boost/beast|boost/asio|boost/url|sqlite3|libpq|storage/|http/|wire/)" "transport or SQL")
check_forbidden(notify "#include [<\"](boost/beast|boost/asio|sqlite3|libpq|storage/|http/|realtime/)" "transport or SQL")
# The Redis limiter is a domain::RateLimiter adapter: no HTTP, SQL or Boost.
check_forbidden(ratelimit "#include [<\"](boost|sqlite3|libpq|storage/|wire/|http/|realtime/|jobs/|app/)" "an outer layer")
check_forbidden(storage "#include [<\"](boost/beast|boost/asio|http/|wire/|app/)" "transport")
