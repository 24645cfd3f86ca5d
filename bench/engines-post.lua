-- bench/engines-post.lua: wrk script for bench/engines.
-- POST /work?cpu_us=0 (the path comes from the command line URL), empty body.
wrk.method = "POST"
wrk.body = ""
wrk.headers["Content-Length"] = "0"
