"""Pages the portal generates from its content model, for any site generator."""
