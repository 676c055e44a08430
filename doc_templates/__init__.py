"""The letter templates Rifd ships (.docx), their sample data and the script that builds them."""
