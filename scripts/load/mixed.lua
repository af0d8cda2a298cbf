-- The mixed workload of `make load` (scripts/load.sh): what a council's users do, in set proportions,
-- paced to LOAD_RATE requests/s in total across all threads and connections.
--
-- Everything it needs comes from the environment (scripts/load/prepare.py finds it):
--   LOAD_RATE             requests/s in total (default 100)
--   LOAD_THREADS          wrk's -t, to split the rate between the threads (default 2)
--   LOAD_CONNECTIONS      wrk's -c, only for the fixed pause used if LuaJIT's ffi is missing (20)
--   LOAD_SESSION_COOKIE   "tsunagu_session=…" of the signed-in demo member (pages)
--   LOAD_MEMBER_TOKEN     API token of the demo member
--   LOAD_STAFF_TOKEN      API token of the demo staff user (matching rounds)
--   LOAD_COUNCIL_ID       the council the rounds run for
--   LOAD_PROPOSAL_IDS     comma-separated: the demo member's own proposals (detail reads)
--   LOAD_DRAFT_IDS        comma-separated: drafts of the demo member (PATCH saves)
--   LOAD_MEMBER_PAGES     pages of GET /api/v1/members (50 a page)
--   LOAD_NEED_PAGES       pages of GET /api/v1/needs
--
-- Pacing: each thread keeps a timetable of one request every LOAD_THREADS / LOAD_RATE seconds and
-- delay() hands the next free slot to whichever connection asks (a wall clock through LuaJIT's ffi).
-- Connections are many more than the rate needs, so a slow answer (a matching round) does not hold
-- the others back; when the server cannot keep up, the timetable drops what it is behind by rather
-- than bursting later, and the achieved rate (printed) falls below the target.
--
-- Answers other than 2xx/3xx are counted by status in response(), with the first few distinct bodies
-- (an API error's body names its code), and printed in done(). response() is not told which request
-- an answer is for; load.sh gets the route of each error from the server's /metrics instead.
-- A machine-readable LOAD_RESULT line for load.sh ends the output.

-- The shares in each thread's cycle of 300 requests. The round is 1 in 300 per thread: with two
-- threads at 100 requests/s in total, one starts about every 3 s.
local weights = {
  { "board",           90 },  -- GET /board                        (page, session cookie)
  { "members_page",    15 },  -- GET /members?page=N               (page, session cookie)
  { "needs_page",      15 },  -- GET /needs                        (page, session cookie)
  { "members_api",     45 },  -- GET /api/v1/members?page=N        (member token)
  { "needs_api",       30 },  -- GET /api/v1/needs?page=N          (member token)
  { "proposal_show",   60 },  -- GET /api/v1/proposals/{id}        (owning member's token)
  { "draft_save",      44 },  -- PATCH /api/v1/proposals/{id}      (a draft, owning member's token)
  { "matching_round",   1 },  -- POST /api/v1/matching-rounds      (staff token)
}

local function env(name, default)
  local value = os.getenv(name)
  if value == nil or value == "" then return default end
  return value
end

local function split(list)
  local out = {}
  for item in string.gmatch(list or "", "[^,]+") do out[#out + 1] = item end
  return out
end

-- setup/done run in their own Lua state: they number the threads and collect their counters.
local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("thread_index", #threads)
end

-- A wall clock in seconds (os.clock is CPU time; os.time whole seconds).
local now
do
  local ok, ffi = pcall(require, "ffi")
  if ok then
    pcall(ffi.cdef, "typedef struct { long tv_sec; long tv_usec; } load_timeval; int gettimeofday(load_timeval *tv, void *tz);")
    local tv = ffi.new("load_timeval")
    now = function()
      ffi.C.gettimeofday(tv, nil)
      return tonumber(tv.tv_sec) + tonumber(tv.tv_usec) / 1e6
    end
  end
end

local cycle, position, interval, next_slot, fixed_pause
-- Globals, not locals: done() reads them through thread:get().
requests_by_kind, statuses, samples, errors = {}, {}, {}, 0
local counter = 0
local session_cookie, member_auth, staff_auth, council_id
local proposals, drafts, member_pages, need_pages

function init(args)
  local index = thread_index or 1
  local threads_total = tonumber(env("LOAD_THREADS", "2"))
  local rate = tonumber(env("LOAD_RATE", "100"))
  interval = threads_total / rate
  fixed_pause = math.floor(1000 * tonumber(env("LOAD_CONNECTIONS", "20")) / rate)
  session_cookie = env("LOAD_SESSION_COOKIE", "")
  member_auth = "Bearer " .. env("LOAD_MEMBER_TOKEN", "")
  staff_auth = "Bearer " .. env("LOAD_STAFF_TOKEN", "")
  council_id = env("LOAD_COUNCIL_ID", "")
  proposals = split(env("LOAD_PROPOSAL_IDS", ""))
  drafts = split(env("LOAD_DRAFT_IDS", ""))
  member_pages = tonumber(env("LOAD_MEMBER_PAGES", "1"))
  need_pages = tonumber(env("LOAD_NEED_PAGES", "1"))

  -- The cycle: every kind its share, shuffled (a fixed seed per thread, so runs are comparable),
  -- the matching round placed so the threads' rounds alternate rather than coincide.
  math.randomseed(7919 * index)
  local rest, round_count = {}, 0
  for _, entry in ipairs(weights) do
    local kind, weight = entry[1], entry[2]
    if kind == "matching_round" then round_count = weight else
      for _ = 1, weight do rest[#rest + 1] = kind end
    end
  end
  for i = #rest, 2, -1 do
    local j = math.random(i)
    rest[i], rest[j] = rest[j], rest[i]
  end
  cycle = {}
  local length = #rest + round_count
  local rounds_at = {}
  for r = 0, round_count - 1 do
    local at = math.floor(length * (r + (index - 0.5) / threads_total) / round_count) + 1
    rounds_at[at] = true
  end
  local k = 1
  for i = 1, length do
    if rounds_at[i] then cycle[i] = "matching_round" else cycle[i] = rest[k]; k = k + 1 end
  end
  -- The threads' timetables interleave too.
  position = 0
  if now then next_slot = now() + (index - 1) * interval / threads_total end
end

function delay()
  if not now then
    -- No ffi: a fixed pause per connection (the rate then also falls as latency grows).
    return fixed_pause
  end
  local t = now()
  -- More than half a second behind: the server cannot keep up; start the timetable afresh.
  if next_slot < t - 0.5 then next_slot = t end
  local wait = next_slot - t
  next_slot = next_slot + interval
  if wait <= 0 then return 0 end
  return math.floor(wait * 1000 + 0.5)
end

local function pick(list, n)
  return list[(n % #list) + 1]
end

local json_headers = {}

-- wrk calls the first thread's request() once before the run to inspect the request, and never sends
-- that one: it must neither take a place in the cycle nor be counted.
local inspected = false

function request()
  if not inspected and (thread_index or 1) == 1 then
    inspected = true
    return wrk.format("GET", "/health")
  end
  position = position % #cycle + 1
  counter = counter + 1
  local kind = cycle[position]
  requests_by_kind[kind] = (requests_by_kind[kind] or 0) + 1
  if kind == "board" then
    return wrk.format("GET", "/board", { ["Cookie"] = session_cookie })
  elseif kind == "members_page" then
    return wrk.format("GET", "/members?page=" .. (counter % member_pages + 1), { ["Cookie"] = session_cookie })
  elseif kind == "needs_page" then
    return wrk.format("GET", "/needs", { ["Cookie"] = session_cookie })
  elseif kind == "members_api" then
    return wrk.format("GET", "/api/v1/members?page=" .. (counter % member_pages + 1), { ["Authorization"] = member_auth })
  elseif kind == "needs_api" then
    return wrk.format("GET", "/api/v1/needs?page=" .. (counter % need_pages + 1), { ["Authorization"] = member_auth })
  elseif kind == "proposal_show" then
    return wrk.format("GET", "/api/v1/proposals/" .. pick(proposals, counter), { ["Authorization"] = member_auth })
  elseif kind == "draft_save" then
    local body = string.format(
      '{"title":"負荷試験の下書き %d-%d","body":"下書きの保存 %d 回目。地域の体操教室の会場と講師を提供します。","tags":["体操","負荷試験"]}',
      thread_index or 1, counter, counter)
    return wrk.format("PATCH", "/api/v1/proposals/" .. pick(drafts, counter),
                      { ["Authorization"] = member_auth, ["Content-Type"] = "application/json" }, body)
  else -- matching_round
    local body = string.format('{"council_id":"%s","candidates":"members"}', council_id)
    return wrk.format("POST", "/api/v1/matching-rounds",
                      { ["Authorization"] = staff_auth, ["Content-Type"] = "application/json" }, body)
  end
end

function response(status, headers, body)
  if status >= 400 or status < 200 then
    errors = errors + 1
    local key = tostring(status)
    statuses[key] = (statuses[key] or 0) + 1
    if #samples < 5 then
      samples[#samples + 1] = key .. " " .. string.gsub(string.sub(body or "", 1, 240), "%s+", " ")
    end
  end
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local rate = summary.requests / seconds
  local bad, by_status, by_kind, shown = 0, {}, {}, {}
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("errors") or 0)
    for status, n in pairs(thread:get("statuses") or {}) do by_status[status] = (by_status[status] or 0) + n end
    for kind, n in pairs(thread:get("requests_by_kind") or {}) do by_kind[kind] = (by_kind[kind] or 0) + n end
    for _, sample in ipairs(thread:get("samples") or {}) do
      if not shown[sample] then shown[#shown + 1] = sample; shown[sample] = true end
    end
  end
  local e = summary.errors
  local socket = e.connect + e.read + e.write + e.timeout
  io.write("\n-- mixed workload (scripts/load/mixed.lua) --\n")
  io.write(string.format("requests sent by kind:"))
  for _, entry in ipairs(weights) do io.write(string.format(" %s=%d", entry[1], by_kind[entry[1]] or 0)) end
  io.write("\n")
  io.write(string.format("achieved rate: %.1f requests/s (%d answers in %.1f s; target %s)\n",
                         rate, summary.requests, seconds, env("LOAD_RATE", "100")))
  io.write(string.format("latency: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n",
                         latency:percentile(50) / 1000, latency:percentile(90) / 1000,
                         latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("errors: %d answers not 2xx/3xx", bad))
  for status, n in pairs(by_status) do io.write(string.format(" [%s: %d]", status, n)) end
  io.write(string.format("; socket errors: connect %d, read %d, write %d, timeout %d\n",
                         e.connect, e.read, e.write, e.timeout))
  for _, sample in ipairs(shown) do io.write("  e.g. " .. sample .. "\n") end
  if #shown > 0 then io.write("  (the route of each error: the per-route report from /metrics below)\n") end
  io.write(string.format("LOAD_RESULT rate=%.2f requests=%d seconds=%.2f p50_us=%d p90_us=%d p99_us=%d max_us=%d http_errors=%d socket_errors=%d\n",
                         rate, summary.requests, seconds, latency:percentile(50), latency:percentile(90),
                         latency:percentile(99), latency.max, bad, socket))
end
