-- Random byte ranges over several same-size files. Builds requests only (no response callback: copying bodies into
-- Lua caps wrk at ~1-1.4 GB/s, see shared BENCHMARKING.md). Args: range length, file size, then one path per file.
local paths = {}
local length, size

function init(args)
  length = tonumber(args[1])
  size = tonumber(args[2])
  for i = 3, #args do paths[#paths + 1] = args[i] end
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end

function request()
  local from = math.random(0, size - length)
  return wrk.format("GET", paths[math.random(#paths)], { ["Range"] = "bytes=" .. from .. "-" .. (from + length - 1) })
end
