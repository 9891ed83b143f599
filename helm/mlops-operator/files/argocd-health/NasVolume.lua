-- Argo CD health of a mlops.dev NasVolume: Healthy once Kubernetes has bound its claim to its
-- PersistentVolume; Degraded when its spec is invalid or its volume is Lost; otherwise Progressing,
-- with the Ready condition's reason (a missing NasServer, a namespace not allowed, binding).
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
local message = (ready ~= nil and ready.message) or obj.status.phase
if obj.status.phase == "Bound" then
  hs.status = "Healthy"
elseif obj.status.phase == "Lost" or obj.status.phase == "Invalid" then
  hs.status = "Degraded"
else
  hs.status = "Progressing"
end
hs.message = message
return hs
