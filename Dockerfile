# Factdesk: one binary, built with cgo (go-sqlite3) against glibc and run on
# a distroless image with the same glibc, as a non-root user.
#
#   docker build -t factdesk .
#   docker run -p 8080:8080 -v factdesk:/data factdesk          # SQLite in /data
#   docker compose up                                          # PostgreSQL, two replicas, a proxy

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -trimpath -ldflags '-s -w' -o /out/factdesk . \
 && /out/factdesk help >/dev/null \
 && mkdir -p /out/data

# distroless/base has glibc (Debian 12, as the build image) and nothing else:
# no shell, no package manager. The HEALTHCHECK uses the binary itself.
FROM gcr.io/distroless/base-debian12:nonroot
COPY --from=build /out/factdesk /factdesk
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
WORKDIR /data
ENV FACTDESK_ADDR=0.0.0.0:8080 \
    FACTDESK_DATABASE=/data/factdesk.db
EXPOSE 8080
VOLUME ["/data"]
HEALTHCHECK --interval=10s --timeout=4s --start-period=20s --retries=3 \
  CMD ["/factdesk", "healthcheck"]
ENTRYPOINT ["/factdesk"]
CMD ["serve"]
