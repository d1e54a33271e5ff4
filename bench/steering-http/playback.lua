-- wrk script: POST /api/v1/playback/{title} as a viewer, each request from another client address (X-Forwarded-For
-- from the trusted proxy 127.0.0.1), titles and addresses read from REQUESTS ("titleId address" lines).
-- With RATE and CONNECTIONS set, each connection waits a random (exponential) time before each request so the whole
-- run offers RATE requests/s as Poisson arrivals; wrk times each request from when it is sent.
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

local rate = tonumber(os.getenv("RATE") or "")
if rate then
  local mean_ms = tonumber(os.getenv("CONNECTIONS")) * 1000 / rate
  delay = function()
    return math.floor(-math.log(1 - math.random()) * mean_ms + 0.5)
  end
end
