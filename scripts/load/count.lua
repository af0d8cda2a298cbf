-- Saturation runs of scripts/load.sh: wrk's plain request (with its -H headers), plus a count of the
-- answers other than 2xx/3xx by status and their first distinct bodies, which wrk alone does not give.

local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
end

-- Globals, not locals: done() reads them through thread:get().
statuses, samples = {}, {}

function response(status, headers, body)
  if status < 200 or status >= 400 then
    local key = tostring(status)
    statuses[key] = (statuses[key] or 0) + 1
    if #samples < 5 then
      samples[#samples + 1] = key .. " " .. string.gsub(string.sub(body or "", 1, 200), "%s+", " ")
    end
  end
end

function done(summary, latency, requests)
  local by_status, shown, total = {}, {}, 0
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses") or {}) do
      by_status[status] = (by_status[status] or 0) + n
      total = total + n
    end
    for _, sample in ipairs(thread:get("samples") or {}) do
      if not shown[sample] then shown[#shown + 1] = sample; shown[sample] = true end
    end
  end
  io.write(string.format("answers not 2xx/3xx: %d", total))
  for status, n in pairs(by_status) do io.write(string.format(" [%s: %d]", status, n)) end
  io.write("\n")
  for _, sample in ipairs(shown) do io.write("  e.g. " .. sample .. "\n") end
end
