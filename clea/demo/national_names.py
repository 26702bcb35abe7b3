"""Word lists for the national seed (clea/demo/national.py): varied French names without numbers.

Surnames are common French ones, double-barrelled pairs of them, and names built from a root and an
ending ("Kerv" + "ennec"), so that a name search at a million candidates finds a realistic handful.
"""

SURNAMES = (
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
    "Simon", "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard",
    "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Lefebvre", "Faure", "André",
    "Mercier", "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Garcia",
    "Perrin", "Robin", "Clément", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson",
    "Marchand", "Duval", "Denis", "Dumont", "Marie", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier",
    "Brun", "Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud",
    "Martinez", "Gérard", "Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin", "Vidal", "Caron",
    "Picard", "Roger", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas", "Lacroix", "Olivier", "Philippe",
    "Bourgeois", "Pierre", "Benoît", "Rey", "Leclerc", "Payet", "Rolland", "Leclercq", "Guillaume", "Lecomte",
    "Lopez", "Jean", "Dupuy", "Guillot", "Hubert", "Berger", "Carpentier", "Sanchez", "Dupuis", "Moulin",
    "Louis", "Deschamps", "Huet", "Vasseur", "Perez", "Boucher", "Fleury", "Royer", "Klein", "Jacquet",
    "Adam", "Paris", "Poirier", "Marty", "Aubry", "Guyot", "Carré", "Charles", "Renault", "Charpentier",
    "Ménard", "Maillard", "Baron", "Bertin", "Bailly", "Hervé", "Schneider", "Fernandez", "Le Gall", "Collet",
    "Léger", "Bouvier", "Julien", "Prévost", "Millet", "Perrot", "Daniel", "Le Roux", "Cousin", "Germain",
    "Breton", "Besson", "Langlois", "Rémy", "Le Goff", "Pelletier", "Lévêque", "Perrier", "Leblanc", "Barré",
    "Lebrun", "Marchal", "Weber", "Mallet", "Hamon", "Boulanger", "Jacob", "Monnier", "Michaud", "Rodriguez",
    "Guichard", "Gillet", "Étienne", "Grondin", "Poulain", "Tessier", "Chevallier", "Collin", "Chauvin", "Da Silva",
    "Bouchet", "Gay", "Lemaître", "Bénard", "Maréchal", "Humbert", "Reynaud", "Antoine", "Hoarau", "Perret",
    "Barthélemy", "Cordier", "Pichon", "Lejeune", "Gilbert", "Lamy", "Delaunay", "Pasquier", "Carlier", "Laporte",
    "Haddad", "Benali", "Diallo", "Nguyen", "Traoré", "Mendy", "Dos Santos", "Ferreira", "Kerhervé", "Le Bihan",
)  # fmt: skip

SURNAME_ROOTS = (
    "Ker", "Lan", "Mor", "Ber", "Gui", "Dal", "Fon", "Mar", "Bou", "Cha", "Per", "Lau", "Ros", "Vil", "Bel",
    "Mon", "Cas", "Dur", "Ger", "Tal", "Sau", "Bar", "Cor", "Lam", "Rou", "Mal", "Pon", "Ser", "Val", "Gal",
    "Roch", "Fav", "Jou", "Nav", "Bré", "Grel", "Quer", "Pel", "Tour", "Mas",
)  # fmt: skip

SURNAME_ENDINGS = (
    "ec", "ault", "ier", "on", "and", "et", "ou", "ard", "ot", "in", "ennec", "ois", "eau", "aud", "ac",
    "ès", "ignac", "elin", "ambert", "erre", "ieux", "ivet", "onnet", "azet", "ichon", "uzet", "ain", "euil",
    "abert", "ollet", "ande", "ardet", "ignon", "aric", "oulet", "anel", "érac", "illard", "ouin", "agnol",
)  # fmt: skip

FEMALE_FIRST_NAMES = (
    "Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Françoise", "Valérie", "Christine", "Sandrine",
    "Véronique", "Stéphanie", "Céline", "Sophie", "Julie", "Aurélie", "Émilie", "Camille", "Laura", "Sarah",
    "Léa", "Manon", "Chloé", "Inès", "Nadia", "Fatima", "Aïcha", "Karima", "Samia", "Mélanie", "Virginie",
    "Patricia", "Martine", "Monique", "Brigitte", "Chantal", "Nicole", "Corinne", "Hélène", "Anne", "Claire",
    "Laetitia", "Élodie", "Audrey", "Pauline", "Marion", "Justine", "Océane", "Anaïs", "Jessica", "Coralie",
    "Marie-Claire", "Anne-Sophie", "Josiane", "Noémie", "Yasmine", "Mariama", "Gwenaëlle", "Maëlle", "Solène",
    "Agnès",
)  # fmt: skip

MALE_FIRST_NAMES = (
    "Jean", "Philippe", "Michel", "Alain", "Patrick", "Nicolas", "Christophe", "Pierre", "Christian", "Éric",
    "Frédéric", "Laurent", "Stéphane", "David", "Pascal", "Daniel", "Sébastien", "Julien", "Thierry", "Olivier",
    "Bernard", "Thomas", "Alexandre", "Mathieu", "Franck", "Jérôme", "Kévin", "Maxime", "Romain", "Anthony",
    "Mohamed", "Karim", "Rachid", "Youssef", "Mamadou", "Moussa", "Ibrahim", "Ahmed", "Bruno", "Didier",
    "Gilles", "Hervé", "Yannick", "Loïc", "Gaël", "Florian", "Quentin", "Dylan", "Jordan", "Lucas",
    "Jean-Pierre", "Jean-Luc", "Jean-François", "Marc", "Antoine", "Benoît", "Cédric", "Grégory", "Hugo", "Théo",
)  # fmt: skip

STREETS = (
    "rue de la République", "rue Victor-Hugo", "avenue Jean-Jaurès", "rue Pasteur", "place de la Mairie",
    "rue de l'Église", "boulevard Gambetta", "rue des Écoles", "chemin des Vignes", "allée des Tilleuls",
    "rue du Moulin", "impasse des Lilas", "rue Jules-Ferry", "avenue de la Gare", "rue du Général-de-Gaulle",
    "rue de la Paix", "rue Nationale", "route de la Plage", "rue des Acacias", "cité des Fleurs",
    "résidence Les Érables", "rue Émile-Zola", "quai de la Loire", "rue Jean-Moulin", "rue des Roses",
)  # fmt: skip

# INSEE codes (geography_country): Maroc, Algérie, Portugal, Tunisie, Sénégal, Mali, Côte d'Ivoire, Turquie,
# Roumanie, Cameroun, Haïti, Comores, Espagne, Italie, Viêt Nam.
BIRTH_COUNTRIES = (
    "99350", "99352", "99139", "99351", "99341", "99335", "99326", "99208", "99114", "99322", "99410", "99397",
    "99134", "99127", "99243",
)  # fmt: skip

EVALUATOR_PREFIXES = (
    "Compétences", "Savoirs", "Avenir Formation", "Socle Pro", "Parcours Emploi", "Atelier des Savoirs",
    "Greta", "Institut Compétences", "Cap Socle", "Réussir", "Tremplin", "Horizons",
)  # fmt: skip

TRAINING_PREFIXES = (
    "Centre de formation", "Organisme de formation", "Atelier de formation", "École de la deuxième chance",
    "Centre de ressources", "Université populaire",
)  # fmt: skip

EMPLOYER_PREFIXES = (
    "Transports", "Logistique", "Boulangeries", "Nettoyage", "Bâtiment", "Aide à domicile", "Hôtellerie",
    "Restauration", "Agroalimentaire", "Commerce", "Industrie", "Espaces verts",
)  # fmt: skip
