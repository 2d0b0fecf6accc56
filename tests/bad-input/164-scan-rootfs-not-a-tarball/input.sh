tailscale up
