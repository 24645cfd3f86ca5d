-- driver-wrk.lua: wrk sends the same request as bench/driver's driver run:
-- POST /work with no CPU work and a 13-byte reply.
-- SPDX-License-Identifier: GPL-3.0-or-later
wrk.method = "POST"
wrk.body = ""
