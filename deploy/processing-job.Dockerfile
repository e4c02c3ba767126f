# The container path's image (src/infra/processing-job.ts): the same recpipe build the functions
# are bundled from, running `recpipe process --session ... --container-job`. Built by `cdk deploy`
# from the repository root after `npm run build`; only package*.json, dist/ and bin/ are sent
# (the asset's exclude list).
FROM public.ecr.aws/docker/library/node:24-slim
WORKDIR /opt/recpipe
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY dist ./dist
COPY bin ./bin
USER node
ENV NODE_ENV=production RECPIPE_PROFILE=aws RECPIPE_HOME=/tmp/recpipe
ENTRYPOINT ["node", "/opt/recpipe/bin/recpipe.js"]
