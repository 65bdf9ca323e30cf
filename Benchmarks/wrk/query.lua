-- Scenario 5: POST /v1/{project}/{base}/query, one equality filter on `group`.
-- Args (after `--`): project base groups limit. Each request asks for a random group in
-- [0, groups), so it matches 1/groups of the items; `limit` caps the page.
local threads = 0
function setup(thread)
   thread:set("tid", threads)
   threads = threads + 1
end

local path, groups, limit
function init(args)
   path = "/v1/" .. args[1] .. "/" .. args[2] .. "/query"
   groups = tonumber(args[3])
   limit = tonumber(args[4])
   math.randomseed(2000 + tid)
end

function request()
   local body = string.format('{"query":[{"group":%d}],"limit":%d}', math.random(0, groups - 1), limit)
   return wrk.format("POST", path, nil, body)
end
