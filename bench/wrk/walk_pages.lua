-- GET every page of a tenant in turn, from a file of paths (the first script argument, one per line):
-- with more pages than the server keeps, each request is a page read from SQLite.
local paths = {}
local at = 0

function init(args)
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
end

function request()
  at = at % #paths + 1
  return wrk.format("GET", paths[at])
end
