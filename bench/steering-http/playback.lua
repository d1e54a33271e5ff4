-- wrk script: POST /api/v1/playback/{title} as a viewer, each request from another client address (X-Forwarded-For
-- from the trusted proxy 127.0.0.1), titles and addresses read from REQUESTS ("titleId address" lines).
local lines = {}
for line in io.lines(os.getenv("REQUESTS")) do
  lines[#lines + 1] = line
end
local auth = "Bearer " .. os.getenv("TOKEN")
local i = math.random(#lines)

request = function()
  i = i % #lines + 1
  local title, address = lines[i]:match("(%S+) (%S+)")
  return wrk.format("POST", "/api/v1/playback/" .. title, { ["Authorization"] = auth, ["X-Forwarded-For"] = address, ["Content-Length"] = "0" }, "")
end
