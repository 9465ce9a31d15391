-- POST /v1/users with a unique email on every request; the run id (first script argument) keeps
-- emails unique across runs on the same database.
local counter = 0
local next_id = 0

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
end

function init(args)
  run = args[1] or "run"
end

wrk.method = "POST"
wrk.headers["content-type"] = "application/json"

function request()
  counter = counter + 1
  local body = string.format('{"email":"wrk-%s-%d-%d@bench.example","role":"member"}', run, tid, counter)
  return wrk.format("POST", "/v1/users", nil, body)
end
