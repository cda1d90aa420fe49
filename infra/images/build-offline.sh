#!/usr/bin/env bash
# Builds one service's image without any registry: a self-contained `dotnet publish` (linux-x64) copied with the few
# system libraries it loads into a FROM-scratch image, built by podman. Name, tag and ports come from the project's
# PublishContainer properties (ContainerRepository, ContainerImageTag, ContainerPort), so the image is the one the
# manifests in infra/k8s name.
#   infra/images/build-offline.sh src/Emulators/GeminiLive [tag]
# Needs: the .NET SDK, podman (apt-get install -y podman buildah runc). Prints the image reference on its last line.
set -euo pipefail
cd "$(dirname "$0")/../.."
project_dir=${1:?usage: build-offline.sh <project directory> [tag]}
csproj=$(ls "$project_dir"/*.csproj)
export CONTAINERS_CONF="$PWD/infra/images/containers.conf"

read -r repository tag assembly ports < <(dotnet msbuild "$csproj" -getProperty:ContainerRepository -getProperty:ContainerImageTag \
  -getProperty:AssemblyName -getItem:ContainerPort | python3 -c '
import json, sys
d = json.load(sys.stdin); p = d["Properties"]
print(p["ContainerRepository"], p["ContainerImageTag"], p["AssemblyName"], ",".join(i["Identity"] for i in d["Items"]["ContainerPort"]))')
tag=${2:-$tag}
[ -n "$repository" ] || { echo "build-offline: $csproj has no ContainerRepository" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
mkdir -p "$rootfs/app" "$rootfs/tmp" "$rootfs/etc/ssl/certs"
chmod 1777 "$rootfs/tmp"

# Its own artifacts directory: a RID-specific restore must not rewrite the work tree's obj/ under a build in progress.
dotnet publish "$csproj" -c Release -r linux-x64 --self-contained true -o "$rootfs/app" -nologo -v q -p:UseAppHost=true \
  --artifacts-path "$work/artifacts"

# The C/C++ runtime the host, the runtime and its native shims link against (ldd), plus what .NET opens at run time
# by name: OpenSSL for TLS (provider WebSockets, webhooks). No ICU: the projects use InvariantGlobalization.
libs=$( { for f in "$rootfs/app/$assembly" "$rootfs"/app/*.so; do ldd "$f" 2>/dev/null || true; done; } \
  | awk '/=> \// { print $3 } /^[[:space:]]*\/lib/ { print $1 }' | sort -u)
for lib in $libs /lib64/ld-linux-x86-64.so.2 /usr/lib/x86_64-linux-gnu/libssl.so.3 /usr/lib/x86_64-linux-gnu/libcrypto.so.3; do
  [ -e "$lib" ] || continue
  mkdir -p "$rootfs$(dirname "$lib")"
  cp -L "$lib" "$rootfs$lib"
done
[ -f /etc/ssl/certs/ca-certificates.crt ] && cp -L /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/"
# The non-root user of Microsoft's images (app, 1654), so file ownership and `id` read the same in either image.
echo "app:x:1654:1654:app:/app:/sbin/nologin" > "$rootfs/etc/passwd"
echo "app:x:1654:" > "$rootfs/etc/group"

expose=""
for port in ${ports//,/ }; do expose+="EXPOSE $port/tcp"$'\n'; done
cat > "$work/Containerfile" <<CONTAINERFILE
FROM scratch
COPY rootfs/ /
USER 1654:1654
WORKDIR /app
ENV DOTNET_RUNNING_IN_CONTAINER=true ASPNETCORE_HTTP_PORTS=8080 SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
$expose
ENTRYPOINT ["/app/$assembly"]
CONTAINERFILE

# Fully qualified as Kubernetes reads the manifests' short names (voiceplatform/x → docker.io/voiceplatform/x), so an
# image loaded into a cluster's nodes (kind load image-archive) is found under the name the Deployments use.
image="docker.io/$repository:$tag"
podman rmi "$image" >/dev/null 2>&1 || true # a rebuild replaces the image instead of leaving the old one untagged
podman build --quiet --tag "$image" "$work" >/dev/null
echo "$image"
