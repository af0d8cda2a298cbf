# Build stage: compile the release binary.
FROM swift:6.1-bookworm AS build
WORKDIR /build
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product tsunagu --static-swift-stdlib \
 && mkdir /staging && cp "$(swift build -c release --show-bin-path)/tsunagu" /staging/

# Run stage: the binary, its migrations and resources, as an unprivileged user.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates tzdata libcurl4 libxml2 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --home-dir /app tsunagu
WORKDIR /app
COPY --from=build /staging/tsunagu /app/tsunagu
COPY Migrations /app/Migrations
COPY Resources /app/Resources
COPY Public /app/Public
USER tsunagu
EXPOSE 8080
ENTRYPOINT ["/app/tsunagu"]
CMD ["serve", "--hostname", "0.0.0.0", "--port", "8080"]
