"""What every flow shares: events, replies, state, context, the flow table, the router, i18n."""
