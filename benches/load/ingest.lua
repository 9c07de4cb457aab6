-- wrk script for benches/load/ingest.sh: POST /v1/filings with a distinct document on every
-- request. The document is the file named by the DOC environment variable with one extra line
-- (run, thread and request number) appended, so each body has its own SHA-256 and is a new
-- filing, in this run and against a database that holds earlier runs.
local body_template
local run_id = os.time() .. "-" .. tostring(os.clock()):gsub("%.", "")

function setup(thread)
  thread_count = (thread_count or 0) + 1
  thread:set("thread_id", run_id .. "-" .. thread_count)
end

function init(args)
  local file = assert(io.open(os.getenv("DOC"), "rb"))
  body_template = file:read("*a")
  file:close()
  counter = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "text/plain"
end

function request()
  counter = counter + 1
  local body = body_template .. "\nLoad test copy " .. thread_id .. "-" .. counter .. "\n"
  return wrk.format(nil, "/v1/filings", nil, body)
end

function done(summary, latency, requests)
  io.write(string.format("status errors %d, timeouts %d\n", summary.errors.status, summary.errors.timeout))
end
