#!/usr/bin/env bash
# Checks the deployment files with their own tools: HAProxy's config checker, and
# docker-compose's schema validation of every profile.
set -euo pipefail
cd "$(dirname "$0")/.."
haproxy -c -q -f deploy/haproxy.cfg
JWT_SECRET=check-only-not-a-secret-0123456789abcdef docker-compose -f docker-compose.yml config -q
JWT_SECRET=check-only-not-a-secret-0123456789abcdef docker-compose -f docker-compose.yml --profile cluster config -q
echo "deploy files: ok"
