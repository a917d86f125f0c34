-- wrk script: POST /v1/metrics with a batch of new runs per request. Arguments: the batch size
-- (100 by default) and a phase name that begins every run id, so that run ids are unique per
-- phase, thread, request and item: every run is stored, none is a duplicate.
local counter = 0
local thread_id = 0

function setup(thread)
  thread_id = thread_id + 1
  thread:set("id", thread_id)
end

function init(args)
  batch = tonumber(args[1]) or 100
  phase = args[2] or "w"
end

function request()
  counter = counter + 1
  local items = {}
  for i = 1, batch do
    items[i] = string.format(
      '{"skillId":"skill-%d","executionMs":%d,"tokensIn":%d,"tokensOut":%d,"success":true,"timestamp":%d,"runId":"%s%d-%d-%d"}',
      i % 20, 100 + (counter + i) % 900, 1000 + i, 200 + i, 1795132800000 + counter * 1000 + i, phase, id, counter, i)
  end
  local body = batch == 1 and items[1] or ("[" .. table.concat(items, ",") .. "]")
  return wrk.format("POST", "/v1/metrics", {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  if status ~= 201 then
    io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n")
  end
end
