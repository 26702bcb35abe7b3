-- wrk script of bench/scale.py: one page, fixed headers, optional request list, parseable summary.
--
-- Read from the environment (set by bench/scale/wrk.py):
--   BENCH_METHOD    GET (default) or POST
--   BENCH_HEADERS   "Name: value" lines
--   BENCH_REQUESTS  file of "path<TAB>body" lines, each sent once in turn (spread over the threads)
--   BENCH_THREADS   number of wrk threads (to spread the list)
--   BENCH_MARKER    text every answer body must contain (counted as matched / missed)
--   BENCH_VARY_IP   "1": a different X-Forwarded-For per request (distinct public clients)
-- done() prints one line: BENCH_RESULT key=value ...

local method = os.getenv("BENCH_METHOD") or "GET"
local marker = os.getenv("BENCH_MARKER")
local vary_ip = os.getenv("BENCH_VARY_IP") == "1"
local requests_file = os.getenv("BENCH_REQUESTS")
local thread_count = tonumber(os.getenv("BENCH_THREADS") or "1")

local base_headers = {}
for line in (os.getenv("BENCH_HEADERS") or ""):gmatch("[^\n]+") do
  local name, value = line:match("^([^:]+):%s*(.*)$")
  if name then base_headers[name] = value end
end

local threads = {}
local created = 0

function setup(thread)
  created = created + 1
  thread:set("id", created)
  table.insert(threads, thread)
end

local entries = nil
local position = 0
matched = 0
missed = 0

local function load_entries(path)
  local list = {}
  for line in io.lines(path) do
    local target, body = line:match("^([^\t]*)\t(.*)$")
    if target then table.insert(list, { target, body }) end
  end
  return list
end

function init(args)
  if requests_file and requests_file ~= "" then
    entries = load_entries(requests_file)
  end
  position = (id or 1) - 1
  math.randomseed(os.time() + (id or 1) * 7919)
end

function request()
  local headers = {}
  for name, value in pairs(base_headers) do headers[name] = value end
  if vary_ip then
    headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254))
  end
  local path, body = wrk.path, nil
  if entries and #entries > 0 then
    local entry = entries[(position % #entries) + 1]
    position = position + thread_count
    path, body = entry[1], entry[2]
  end
  return wrk.format(method, path, headers, body)
end

if marker and marker ~= "" then
  function response(status, headers, body)
    if body and body:find(marker, 1, true) then
      matched = matched + 1
    else
      missed = missed + 1
    end
  end
end

function done(summary, latency, requests)
  local found, lost = 0, 0
  for _, thread in ipairs(threads) do
    found = found + (tonumber(thread:get("matched")) or 0)
    lost = lost + (tonumber(thread:get("missed")) or 0)
  end
  local errors = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d max_us=%d "
      .. "status_errors=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d matched=%d missed=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, errors.status, errors.connect, errors.read, errors.write, errors.timeout, found, lost
  ))
end
