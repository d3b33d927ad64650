"""The MkDocs adapter: hands the portal's generated pages and files to MkDocs."""
