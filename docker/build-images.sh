#!/usr/bin/env bash
# Builds the four service images from docker/Dockerfile (BuildKit; Docker 23+ uses it by
# default). The Maven build runs inside the image's build stage, once, shared by the four targets.
#   docker/build-images.sh              -> pql/ingest-service:dev, pql/scoring-service:dev, ...
#   PQL_IMAGE_TAG=1.0 docker/build-images.sh
# `docker compose build` builds the same images from docker-compose.yml.
set -euo pipefail
cd "$(dirname "$0")/.."

tag="${PQL_IMAGE_TAG:-dev}"
export DOCKER_BUILDKIT=1

for service in ingest scoring forecast gateway; do
  if [[ "$service" == gateway ]]; then image="pql/gateway"; else image="pql/$service-service"; fi
  echo "building $image:$tag (target $service)" >&2
  docker build --file docker/Dockerfile --target "$service" --tag "$image:$tag" .
done
