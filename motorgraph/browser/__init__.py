"""Everything for Neo4j Browser: the favorites export, the guide and the style.

`favorites` zips the saved queries for Browser's Favorites (with their `:param` lines),
`guide` writes schema/guide/motorgraph.html (the slides Browser plays after connecting),
`style` holds the one palette, used by schema/style.grass and by the HTML pictures.
"""
