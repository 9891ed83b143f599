-- Argo CD health of a mlops.dev TrainingJob. Health is not inherited from children, so this reads
-- only the TrainingJob's own status, which tells the whole story.
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

local phase = obj.status.phase
if phase == "Succeeded" then
  hs.status = "Healthy"
  local c = condition("Succeeded")
  hs.message = (c ~= nil and c.message) or "Succeeded"
elseif phase == "Failed" then
  hs.status = "Degraded"
  local c = condition("Failed")
  hs.message = (c ~= nil and ((c.reason or "") .. ": " .. (c.message or ""))) or "Failed"
elseif phase == "Suspended" then
  hs.status = "Suspended"
  hs.message = "spec.runPolicy.suspend is true"
elseif phase == "Queued" then
  -- Waiting for free GPUs: progressing, with the place in line and why (the Admitted condition).
  hs.status = "Progressing"
  local a = condition("Admitted")
  local position = (obj.status.queue ~= nil and obj.status.queue.position ~= nil)
      and (" #" .. obj.status.queue.position) or ""
  hs.message = "Queued" .. position .. ((a ~= nil and a.message ~= nil and (" (" .. (a.reason or "") .. "): "
      .. a.message)) or "")
elseif phase == "Pending" then
  hs.status = "Progressing"
  local s = condition("Schedulable")
  if s ~= nil and s.status == "False" then
    hs.message = "Pending (" .. (s.reason or "") .. "): " .. (s.message or "")
  else
    hs.message = "Pending"
  end
else
  -- Starting, Running, Restarting: a training job is progressing until it ends.
  hs.status = "Progressing"
  local r = condition("Running")
  hs.message = phase .. ((r ~= nil and r.message ~= nil and (": " .. r.message)) or "")
end
return hs
