{{/* The chart's name and a release-scoped full name. */}}
{{- define "etrms.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels of every object; "component" is streams-app, ws-gateway or ingest. */}}
{{- define "etrms.labels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/component: {{ .component }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{/* The Prometheus job of a component, as in deploy/prometheus (the alert rules select on it). */}}
{{- define "etrms.job" -}}
{{- get (dict "streams-app" "etrms-streams" "ws-gateway" "etrms-gateway" "ingest" "etrms-ingest") .component -}}
{{- end -}}

{{/* The labels a component's pods are selected by. */}}
{{- define "etrms.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* The image of a component. */}}
{{- define "etrms.image" -}}
{{- $registry := .root.Values.image.registry -}}
{{- $tag := .root.Values.image.tag | default .root.Chart.AppVersion -}}
{{- if $registry -}}
{{ printf "%s/etrms/%s:%s" $registry .component $tag }}
{{- else -}}
{{ printf "etrms/%s:%s" .component $tag }}
{{- end -}}
{{- end -}}

{{/* The environment every ETRMS container shares, then the component's own map. */}}
{{- define "etrms.env" -}}
- name: KAFKA_BOOTSTRAP_SERVERS
  value: {{ .root.Values.kafka.bootstrapServers | quote }}
- name: ETRMS_TOPIC_PREFIX
  value: {{ .root.Values.topics.prefix | quote }}
- name: ETRMS_TOPIC_PARTITIONS
  value: {{ .root.Values.topics.partitions | quote }}
- name: ETRMS_TOPIC_REPLICATION_FACTOR
  value: {{ .root.Values.topics.replicationFactor | quote }}
- name: ETRMS_TOPIC_MIN_INSYNC_REPLICAS
  value: {{ .root.Values.topics.minInsyncReplicas | quote }}
- name: ETRMS_DEFAULT_ACCOUNT
  value: {{ .root.Values.common.defaultAccount | quote }}
- name: JAVA_TOOL_OPTIONS
  value: {{ printf "-XX:MaxRAMPercentage=%v -XX:+ExitOnOutOfMemoryError" .heapPercent | quote }}
{{- range $name, $value := .root.Values.common.env }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- range $name, $value := .env }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- end -}}

{{/* Pod security: the images' non-root user (uid 10001), no privilege escalation. */}}
{{- define "etrms.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "etrms.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
{{- end -}}
