-- wrk script: POST Prometheus-style alert batches to /api/v2/alerts.
-- MODE=unique (default): every request carries a new alert (a new incident each).
-- MODE=refire: requests cycle over 100 alerts (re-fires of open incidents).
local mode = os.getenv("MODE") or "unique"
local threads = {}
thread_id = 0
local counter = 0

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function request()
  counter = counter + 1
  local n = counter
  if mode == "refire" then n = counter % 100 end
  local body = string.format(
    '[{"labels":{"alertname":"BenchAlert","instance":"host-%d-%d:9100","severity":"critical","job":"node"},' ..
    '"annotations":{"summary":"host-%d-%d is down","description":"node exporter unreachable for 5m"},' ..
    '"startsAt":"2026-11-29T06:00:00Z","generatorURL":"http://prometheus:9090/graph"}]',
    thread_id, n, thread_id, n)
  return wrk.format("POST", "/api/v2/alerts", {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  if status ~= 200 then
    errors_seen = (errors_seen or 0) + 1
    if errors_seen <= 3 then io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n") end
  end
end
