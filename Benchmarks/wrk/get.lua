-- Scenario 2: GET /v1/{project}/{base}/items/{key} of random seeded items.
-- Args (after `--`): project base count key_prefix. Keys are key_prefix .. %06d, 0 <= i < count.
-- X-API-Key is passed with wrk -H.
local threads = 0
function setup(thread)
   thread:set("tid", threads)
   threads = threads + 1
end

local prefix, count
function init(args)
   prefix = "/v1/" .. args[1] .. "/" .. args[2] .. "/items/" .. args[4]
   count = tonumber(args[3])
   math.randomseed(1000 + tid)
end

function request()
   return wrk.format("GET", string.format("%s%06d", prefix, math.random(0, count - 1)))
end
