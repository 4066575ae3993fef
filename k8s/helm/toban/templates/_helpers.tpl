{{/* Labels of one service's objects; the selector is name + part-of, as quarkus-kubernetes makes it. */}}
{{- define "toban.selector" -}}
app.kubernetes.io/name: {{ . }}
app.kubernetes.io/part-of: toban
{{- end }}

{{- define "toban.labels" -}}
{{ include "toban.selector" .name }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
helm.sh/chart: {{ .root.Chart.Name }}-{{ .root.Chart.Version | replace "+" "_" }}
{{- end }}

{{/* Labels of objects that belong to no single service. */}}
{{- define "toban.commonLabels" -}}
app.kubernetes.io/part-of: toban
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/instance: {{ .Release.Name }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version | replace "+" "_" }}
{{- end }}

{{- define "toban.image" -}}
{{- $tag := .root.Values.image.tag | default .root.Chart.AppVersion -}}
{{- if eq $tag "latest" }}{{ fail "image.tag must name a release, not latest" }}{{ end -}}
{{- $flavor := .root.Values.image.flavor | default "jvm" -}}
{{- if not (has $flavor (list "jvm" "native")) }}{{ fail "image.flavor must be jvm or native" }}{{ end -}}
{{ .root.Values.image.registry }}/{{ .name }}:{{ $tag }}{{ if eq $flavor "native" }}-native{{ end }}
{{- end }}

{{/* A service's resources: its own, else the defaults of the image flavor. */}}
{{- define "toban.resources" -}}
{{- $defaults := ternary .root.Values.nativeResources .root.Values.resources (eq (.root.Values.image.flavor | default "jvm") "native") -}}
{{ toYaml (.svc.resources | default $defaults) }}
{{- end }}

{{/* The public URL of one host key (oncall, incident, notify, postmortem; keycloak uses auth). */}}
{{- define "toban.url" -}}
{{- $explicit := index .root.Values.externalUrls .key -}}
{{- if $explicit -}}
{{ $explicit }}
{{- else -}}
{{- $host := index .root.Values.ingress.hosts (ternary "auth" .key (eq .key "keycloak")) -}}
{{ .root.Values.ingress.scheme }}://{{ $host }}
{{- end -}}
{{- end }}

{{- define "toban.prometheusAnnotations" -}}
prometheus.io/scrape: "true"
prometheus.io/path: /q/metrics
prometheus.io/port: "{{ .managementPort }}"
prometheus.io/scheme: http
{{- end }}
