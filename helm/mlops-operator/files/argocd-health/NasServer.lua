-- Argo CD health of a mlops.dev NasServer: Healthy when its spec is valid (it has no children; its
-- volumes report their own health), Degraded when it is not.
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

local valid = condition("Valid")
if valid == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report a status"
elseif valid.status == "False" then
  hs.status = "Degraded"
  hs.message = "Invalid spec: " .. (valid.message or "")
elseif obj.metadata.generation ~= nil and obj.status.observedGeneration ~= nil
    and obj.status.observedGeneration < obj.metadata.generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. obj.metadata.generation
else
  hs.status = "Healthy"
  hs.message = (obj.status.volumes or 0) .. " NasVolume(s); mount options " .. table.concat(obj.status.mountOptions or {}, ",")
end
return hs
