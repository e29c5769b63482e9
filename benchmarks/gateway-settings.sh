# Sourced by the benchmarks that start `ticketgw serve`: the settings they share, as NAME=VALUE
# lines to export (logging at Warning, one operator "bench" whose updates go to the load generator,
# its rate limit raised out of the way, mail in from Dovecot and out to the SMTP sink).
#   mapfile -t settings < <(gateway_settings KEY RECEIVER_PORT IMAP_PORT SMTP_PORT)
#   export "${settings[@]}"   (in the subshell that then runs `exec dotnet ticketgw.dll serve`)
gateway_settings() {
  local key=$1 receiver_port=$2 imap_port=$3 smtp_port=$4
  printf '%s\n' \
    Logging__LogLevel__Default=Warning \
    Operators__0__Id=bench "Operators__0__ApiKey=$key" \
    "Operators__0__CallbackAddress=http://127.0.0.1:$receiver_port" Operators__0__CallbackApiKey=bench-callback-0123456789 \
    OperatorGateway__RateLimitPerSecond=1000000 OperatorGateway__RateLimitBurst=1000000 \
    OperatorGateway__Delivery__PollInterval=00:00:00.200 \
    Mail__SupportAddress=support@example.com Mail__ReplyTokenSecret=bench-reply-token-secret-0123 \
    Mail__Imap__Host=127.0.0.1 "Mail__Imap__Port=$imap_port" Mail__Imap__Security=None \
    Mail__Imap__Username=support Mail__Imap__Password=secret \
    Mail__Smtp__Host=127.0.0.1 "Mail__Smtp__Port=$smtp_port" Mail__Smtp__Security=None
}
