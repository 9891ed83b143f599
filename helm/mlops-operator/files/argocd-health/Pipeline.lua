-- Argo CD health of a mlops.dev Pipeline: Healthy once it is compiled to its WorkflowTemplate (and
-- CronWorkflows) for the current generation; Degraded when its spec is invalid or Argo Workflows is
-- not installed (the conditions say what to do); otherwise Progressing.
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
  hs.message = "Waiting for the operator to compile generation " .. obj.metadata.generation
  return hs
end

local argo = condition("ArgoWorkflowsAvailable")
if argo ~= nil and argo.status == "False" then
  hs.status = "Degraded"
  hs.message = argo.message or "Argo Workflows is not installed"
  return hs
end

local ready = condition("Ready")
if ready ~= nil and ready.status == "False" and ready.reason == "NameTaken" then
  -- Someone else's WorkflowTemplate or CronWorkflow holds a name the Pipeline needs: a person must act.
  hs.status = "Degraded"
  hs.message = ready.message or "A name the Pipeline needs is taken"
  return hs
end
if obj.status.phase == "Ready" then
  hs.status = "Healthy"
else
  hs.status = "Progressing"
end
hs.message = (ready ~= nil and ready.message) or obj.status.phase
return hs
