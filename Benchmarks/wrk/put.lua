-- Scenarios 3 and 4: PUT /v1/{project}/{base}/items with `batch` new items per request.
-- Args (after `--`): project base batch run_id. Every key is unique: run_id, thread id, counter.
local threads = 0
function setup(thread)
   thread:set("tid", threads)
   threads = threads + 1
end

local path, prefix, batch
local counter = 0
local text = string.rep("The quick brown fox jumps over the lazy dog. ", 2)
function init(args)
   path = "/v1/" .. args[1] .. "/" .. args[2] .. "/items"
   batch = tonumber(args[3])
   prefix = args[4] .. "-t" .. tid .. "-"
end

function request()
   local items = {}
   for i = 1, batch do
      counter = counter + 1
      items[i] = string.format('{"key":"%s%d","n":%d,"text":"%s"}', prefix, counter, counter, text)
   end
   return wrk.format("PUT", path, nil, '{"items":[' .. table.concat(items, ",") .. ']}')
end
