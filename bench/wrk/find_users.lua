-- GET /v1/users?email= or ?q= with a different seeded user each request, so no answer is a page the server
-- kept: the arguments are the parameter ("email" or "q"), the text before and after the user's number
-- (seeded emails are user<N>-<batch>@seed.example), and how many users there are.
local name, before, after, users
local n = 0

function init(args)
  name, before, after, users = args[1], args[2], args[3], tonumber(args[4])
end

local function escape(text)
  return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function request()
  n = (n + 7919) % users -- a prime stride: every user in turn, never one after its neighbour
  return wrk.format("GET", "/v1/users?limit=100&" .. name .. "=" .. escape(before .. n .. after))
end
