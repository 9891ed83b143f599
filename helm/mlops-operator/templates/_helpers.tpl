{{- define "mlops-operator.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "mlops-operator.fullname" -}}
{{- if contains .Chart.Name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "mlops-operator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
app.kubernetes.io/name: {{ include "mlops-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: mlops-operator
{{- end }}

{{- define "mlops-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mlops-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "mlops-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "mlops-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Rules on namespaced resources of the watched namespaces. Mirrors OperatorPermissions (WATCHED_NAMESPACES). */}}
{{- define "mlops-operator.namespacedRules" -}}
- apiGroups: ["mlops.dev"]
  resources: ["trainingjobs"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["mlops.dev"]
  resources: ["trainingjobs/status"]
  verbs: ["update"]
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["get", "list", "watch", "create", "delete"]
- apiGroups: [""]
  resources: ["services"]
  verbs: ["get", "list", "watch", "create", "delete", "patch"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch", "delete", "patch"]
- apiGroups: ["mlops.dev"]
  resources: ["nasvolumes"]
  verbs: ["get", "list", "watch", "patch", "update"]
- apiGroups: ["mlops.dev"]
  resources: ["nasvolumes/status"]
  verbs: ["update"]
- apiGroups: [""]
  resources: ["persistentvolumeclaims"]
  verbs: ["get", "list", "watch", "create", "delete"]
- apiGroups: ["mlops.dev"]
  resources: ["redisinstances"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["mlops.dev"]
  resources: ["redisinstances/status"]
  verbs: ["update"]
- apiGroups: ["apps"]
  resources: ["statefulsets"]
  verbs: ["get", "list", "watch", "create", "patch"]
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get", "list", "watch", "create", "patch"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch", "create", "patch"]
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["get", "list", "watch", "create", "patch"]
- apiGroups: ["networking.k8s.io"]
  resources: ["networkpolicies"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: ["mlops.dev"]
  resources: ["pipelines"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["mlops.dev"]
  resources: ["pipelines/status"]
  verbs: ["update"]
- apiGroups: ["argoproj.io"]
  resources: ["workflowtemplates"]
  verbs: ["get", "list", "watch", "create", "patch"]
- apiGroups: ["argoproj.io"]
  resources: ["cronworkflows"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: ["mlops.dev"]
  resources: ["pipelineruns"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["mlops.dev"]
  resources: ["pipelineruns/status"]
  verbs: ["update"]
- apiGroups: ["argoproj.io"]
  resources: ["workflows"]
  verbs: ["get", "list", "watch", "create"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch", "list", "watch"]
- apiGroups: ["kueue.x-k8s.io"]
  resources: ["workloads"]
  verbs: ["get", "list", "watch"]
{{- end }}

{{/* Cluster-scoped reads. Mirrors OperatorPermissions (CLUSTER). */}}
{{- define "mlops-operator.clusterRules" -}}
- apiGroups: [""]
  resources: ["nodes"]
  verbs: ["get", "list", "watch"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list", "watch"]
- apiGroups: ["scheduling.k8s.io"]
  resources: ["priorityclasses"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["mlops.dev"]
  resources: ["nasservers"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["mlops.dev"]
  resources: ["nasservers/status"]
  verbs: ["update"]
- apiGroups: [""]
  resources: ["persistentvolumes"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: [""]
  resources: ["namespaces"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["apiextensions.k8s.io"]
  resources: ["customresourcedefinitions"]
  verbs: ["get"]
{{- end }}

{{/* Pipelines' memoization ConfigMaps in Argo's namespace. Mirrors OperatorPermissions (ARGO_NAMESPACE). */}}
{{- define "mlops-operator.argoRules" -}}
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get", "create", "patch"]
{{- end }}

{{/* What the pods of Pipelines' Workflows need (not the operator): Argo's executor, and the training tasks. */}}
{{- define "mlops-operator.pipelineRunnerRules" -}}
- apiGroups: ["argoproj.io"]
  resources: ["workflowtaskresults"]
  verbs: ["create", "patch"]
- apiGroups: ["mlops.dev"]
  resources: ["trainingjobs"]
  verbs: ["get", "list", "watch", "create", "patch"]
{{- end }}

{{/* The leader-election Lease in the release namespace. Mirrors OperatorPermissions (OPERATOR_NAMESPACE). */}}
{{- define "mlops-operator.leaseRules" -}}
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  verbs: ["get", "create", "update"]
{{- end }}
