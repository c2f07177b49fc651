"""The most frequent Chinese characters, simplified and traditional.

Used only to judge which legacy encoding makes bytes read as plausible text: real Chinese is
mostly made of these, while Chinese bytes read in the wrong CJK encoding give rare characters.
"""

SIMPLIFIED = (
    "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对"
    "可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同"
    "三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定"
    "女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化"
    "由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应"
    "路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许"
    "八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带"
    "花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻"
    "程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形"
    "委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坏兴急价格买卖"
    "钟午晚谢吗吧啊您它们这些那些因为所以如果虽然但是可以已经非常比较问题公司产品服务质量客户时间"
)

TRADITIONAL = (
    "這來國個說們為會著過學對裡後麼沒於還發當無開見經頭從動兩長樣現將與進實點種聲話兒問機給幾業間"
    "東關內軍產萬體別處總場師書員華報馬張難數車應覺統請愛讓認論義術結連遠資隊帶條變聯權該領傳紅決"
    "達辦運區轉眾輕語滿寫識極黃錢黨設雙歷網專兵誰讀飛觀爭組視濟離雖壞興價買賣鐘謝嗎您們質戶時問題"
    "公司產品服務"
)

# Characters typical of real CJK text whatever the script variant.
COMMON_CJK = frozenset(SIMPLIFIED + TRADITIONAL)
