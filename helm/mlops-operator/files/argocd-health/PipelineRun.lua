-- Argo CD health of a mlops.dev PipelineRun, from its own status (which mirrors its Workflow):
-- Healthy once Succeeded; Degraded when it Failed or ended in Error, when its params or its
-- Pipeline are invalid, or when Argo Workflows is not installed; otherwise Progressing (Pending,
-- Running, or waiting for its Pipeline to be created).
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

local phase = obj.status.phase
local message = obj.status.message or phase
if phase == "Succeeded" then
  hs.status = "Healthy"
  hs.message = "Succeeded (" .. (obj.status.progress or "") .. " tasks): " .. message
  return hs
end
if phase == "Failed" or phase == "Error" or phase == "Invalid" then
  hs.status = "Degraded"
  hs.message = phase .. ": " .. message
  return hs
end

local valid = condition("Valid")
if valid ~= nil and valid.status == "False" and valid.reason ~= "PipelineNotFound" then
  hs.status = "Degraded"
  hs.message = valid.message or "Invalid"
  return hs
end
local argo = condition("ArgoWorkflowsAvailable")
if argo ~= nil and argo.status == "False" then
  hs.status = "Degraded"
  hs.message = argo.message or "Argo Workflows is not installed"
  return hs
end

hs.status = "Progressing"
if obj.status.progress ~= nil then
  hs.message = phase .. " " .. obj.status.progress .. ": " .. message
else
  hs.message = message
end
return hs
