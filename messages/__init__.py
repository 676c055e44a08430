"""Messages to beneficiaries and staff: gateways, the sender, the events that queue them."""
