-- Argo CD health of a mlops.dev RedisInstance: Healthy while its master serves and nothing is wrong;
-- Degraded when its spec is invalid, or it served and now has a problem (a lost master, a replica
-- not linked, memory near maxmemory, a failed save: the Degraded condition says which); otherwise
-- Progressing (creating, electing the first master).
local hs = {}

local function condition(type)
  if obj.status ~= nil and obj.status.conditions ~= nil then
    for _, c in ipairs(obj.status.conditions) do
      if c.type == type then
        return c
      end
    end
  end
  return nil
end

if obj.status == nil or obj.status.phase == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report a status"
  return hs
end

local valid = condition("Valid")
if valid ~= nil and valid.status == "False" then
  hs.status = "Degraded"
  hs.message = "Invalid spec: " .. (valid.message or "")
  return hs
end

if obj.metadata ~= nil and obj.metadata.generation ~= nil and obj.status.observedGeneration ~= nil
    and obj.status.observedGeneration < obj.metadata.generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. obj.metadata.generation
  return hs
end

local ready = condition("Ready")
local degraded = condition("Degraded")
if obj.status.phase == "Ready" then
  hs.status = "Healthy"
  hs.message = (ready ~= nil and ready.message) or "Ready"
elseif obj.status.phase == "Degraded" or obj.status.phase == "Invalid" then
  hs.status = "Degraded"
  hs.message = (degraded ~= nil and degraded.status == "True" and degraded.message)
      or (ready ~= nil and ready.message) or obj.status.phase
else
  hs.status = "Progressing"
  hs.message = (ready ~= nil and ready.message) or obj.status.phase
end
return hs
