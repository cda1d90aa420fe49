#!/usr/bin/env bash
# Builds and tags every image the manifests in infra/k8s run (voiceplatform/<service>:<ContainerImageTag>).
#
#   infra/images/build.sh                  the .NET way: dotnet publish -t:PublishContainer per project, on
#                                          mcr.microsoft.com/dotnet/aspnet:10.0 (needs that registry), into the local
#                                          podman (or docker) image store
#   infra/images/build.sh --chiseled       the same on aspnet:10.0-noble-chiseled (no shell, no package manager)
#   infra/images/build.sh --offline        no registry at all: build-offline.sh per project (self-contained publish
#                                          into a FROM-scratch image)
#   infra/images/build.sh --tag 0.2.0 ...  another tag than the projects' ContainerImageTag (then set it in the
#                                          overlays: kustomize edit set image voiceplatform/gateway:0.2.0 ...)
#   infra/images/build.sh --push REGISTRY  PublishContainer straight to REGISTRY (e.g. registry.example.com/voice)
set -euo pipefail
cd "$(dirname "$0")/../.."

projects=(src/Gateway src/Router src/Tools src/Transcripts src/Billing src/Insights src/Console src/Emulators/OpenAIRealtime src/Emulators/GeminiLive)
mode=publish tag="" base="" registry=""
while [ $# -gt 0 ]; do
  case "$1" in
    --offline) mode=offline ;;
    --chiseled) base=mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled ;;
    --tag) tag=$2; shift ;;
    --push) registry=$2; shift ;;
    *) echo "build.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

for project in "${projects[@]}"; do
  if [ "$mode" = offline ]; then
    infra/images/build-offline.sh "$project" $tag | tail -1
    continue
  fi
  args=(-c Release -t:PublishContainer -nologo -v q --os linux --arch x64)
  [ -n "$tag" ] && args+=(-p:ContainerImageTag="$tag")
  [ -n "$base" ] && args+=(-p:ContainerBaseImage="$base")
  if [ -n "$registry" ]; then
    args+=(-p:ContainerRegistry="$registry")
  elif command -v podman >/dev/null; then
    export CONTAINERS_CONF="$PWD/infra/images/containers.conf"
    args+=(-p:LocalRegistry=Podman)
  fi
  dotnet publish "$project"/*.csproj "${args[@]}"
done
